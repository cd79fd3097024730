// Placeholder: being built (issue 12).
export function MatrixPage() {
  return (
    <div className="page">
      <h1>Compatibility matrix</h1>
    </div>
  );
}
