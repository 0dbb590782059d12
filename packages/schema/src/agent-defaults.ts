/**
 * Files the agent watches for hash and metadata changes when no policy names others: the
 * agent's own default and the server's default effective configuration are both this list.
 */
export const DEFAULT_WATCHED_FILES: readonly string[] = Object.freeze([
  '/etc/passwd',
  '/etc/shadow',
  '/etc/group',
  '/etc/sudoers',
  '/etc/sudoers.d/*',
  '/etc/ssh/sshd_config',
  '/etc/hosts',
  '/etc/ld.so.preload',
  '/etc/pam.d/*',
]);
