/** The agent version reported at enrollment and in heartbeats. */
export const AGENT_VERSION = '0.1.0';
