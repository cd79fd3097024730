// Placeholder: being built (issue 12).
export function ImagesPage() {
  return (
    <div className="page">
      <h1>Images</h1>
    </div>
  );
}
