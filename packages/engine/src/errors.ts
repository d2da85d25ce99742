// One error type for everything the user can fix: it carries a message that says what was wrong and how to fix it,
// and the CLI prints it without a stack trace.
export class UserError extends Error {
  override readonly name = 'UserError';
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
