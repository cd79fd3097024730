// Placeholder: being built (issue 12).
export function CredentialsPage() {
  return (
    <div className="page">
      <h1>Credentials</h1>
    </div>
  );
}
