// Placeholder: being built (issue 12).
export function DevicePage() {
  return (
    <div className="page">
      <h1>Device</h1>
    </div>
  );
}
