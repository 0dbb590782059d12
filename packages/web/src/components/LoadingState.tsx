export function LoadingState({ label = 'Loading' }: { label?: string }) {
  return (
    <div className="state-message" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}…
    </div>
  );
}
