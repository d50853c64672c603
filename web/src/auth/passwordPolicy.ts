/** Client-side mirror of the server's password policy, for early hints; the server decides. */
export function passwordProblems(password: string, username?: string, current?: string): string[] {
  const problems: string[] = [];
  if (password.length < 10) problems.push('auth.policyTooShort');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) problems.push('auth.policyClasses');
  if (username && password.toLowerCase() === username.toLowerCase()) problems.push('auth.policyUsername');
  if (current && password === current) problems.push('auth.policySameAsCurrent');
  return problems;
}
