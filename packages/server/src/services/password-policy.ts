import { HarrierError } from '../errors.ts';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * The password rules (issue 3): at least 12 characters, at most 1024 (argon2
 * cost stays bounded), and not the account's username or e-mail address.
 * Returns the problem, or undefined when the password is acceptable.
 */
export function passwordProblem(
  password: string,
  account: { username?: string | null | undefined; email?: string | null | undefined },
): string | undefined {
  if ([...password].length < PASSWORD_MIN_LENGTH)
    return `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  if (password.length > PASSWORD_MAX_LENGTH)
    return `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  const lower = password.trim().toLowerCase();
  for (const name of [account.username, account.email]) {
    if (name && lower === name.trim().toLowerCase())
      return 'The password must not be the username or e-mail address.';
  }
  return undefined;
}

/** Throws 422 `weak_password` when the password breaks a rule. */
export function assertPasswordAcceptable(
  password: string,
  account: { username?: string | null | undefined; email?: string | null | undefined },
): void {
  const problem = passwordProblem(password, account);
  if (problem) throw new HarrierError(422, 'weak_password', problem, { field: 'password' });
}
