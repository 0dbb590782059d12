import type { HarrierDatabase } from '../db/database.ts';
import { AgentCredentialsService } from './agent-credentials-service.ts';
import { ApiTokenService } from './api-token-service.ts';
import { AuditService } from './audit-service.ts';
import { Authenticator } from './authenticator.ts';
import { LoginThrottle } from './login-throttle.ts';
import { OrganizationService } from './organization-service.ts';
import { SessionService } from './session-service.ts';
import { UserService } from './user-service.ts';

/** The identity-and-access services (issue 3), built once per app. */
export interface IdentityServices {
  throttle: LoginThrottle;
  sessions: SessionService;
  authenticator: Authenticator;
  users: UserService;
  apiTokens: ApiTokenService;
  audit: AuditService;
  organizations: OrganizationService;
  agentCredentials: AgentCredentialsService;
}

/** Wires the identity services over an open, migrated database. */
export function createIdentityServices(database: HarrierDatabase, serverSecret: string): IdentityServices {
  const throttle = new LoginThrottle();
  const sessions = new SessionService(database, serverSecret, throttle);
  const users = new UserService(database, sessions);
  return {
    throttle,
    sessions,
    authenticator: new Authenticator(database, sessions.jwtKey),
    users,
    apiTokens: new ApiTokenService(database),
    audit: new AuditService(database, (error) => {
      console.error(JSON.stringify({ level: 'error', msg: 'audit record not written', err: String(error) }));
    }),
    organizations: new OrganizationService(database, users),
    agentCredentials: new AgentCredentialsService(database, serverSecret),
  };
}
