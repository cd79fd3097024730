// Placeholder: being built (issue 12).
export function AccountPage() {
  return (
    <div className="page">
      <h1>Account</h1>
    </div>
  );
}
