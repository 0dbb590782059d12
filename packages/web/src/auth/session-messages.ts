/** Notices shown on the sign-in page; the route guard tells them apart. */
export const SESSION_EXPIRED = 'Your session expired. Sign in again.';
export const SIGNED_OUT = 'You have signed out.';
