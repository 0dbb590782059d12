import { CopyButton } from '../../components/CopyButton.tsx';

/** A secret the server shows once: displayed selectable, with a copy button and a warning. */
export function SecretReveal({
  label,
  secret,
  command,
}: {
  label: string;
  secret: string;
  command?: string;
}) {
  return (
    <div className="secret-reveal" role="status">
      <p>
        <strong>{label}</strong> It is shown only now; store it before leaving this page.
      </p>
      <div className="copy-row">
        <code data-testid="secret">{secret}</code>
        <CopyButton text={secret} label={`Copy ${label.toLowerCase()}`} />
      </div>
      {command && (
        <>
          <p>Run on the endpoint to enroll it:</p>
          <div className="copy-row">
            <code data-testid="install-command">{command}</code>
            <CopyButton text={command} label="Copy install command" />
          </div>
        </>
      )}
    </div>
  );
}
