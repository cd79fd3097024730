// One way for every dialog to send its form: a request at a time (the button says so), the
// client's own validation and the API's refusal both shown on the fields they name, and what no
// field explains in a banner; a request that never reached the API (network down) is said too.
import { useState } from 'react';
import { ApiError } from '../api.ts';

export type FieldErrors = Record<string, string>;

/** The first message per top-level field of a zod error (or a refusal's issues). */
export function fieldErrorsOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  const out: FieldErrors = {};
  for (const i of error.issues) out[String(i.path[0] ?? '')] ??= i.message;
  return out;
}

export interface SendOptions {
  /** Maps the API's field names onto the form's (e.g. to reword them). */
  fields?: (errors: FieldErrors) => FieldErrors;
  /** Leave the banner out when the refusal is said on a field (any, or one of those listed). */
  quietWhenOn?: true | readonly string[];
}

export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});

  /** Shows what the client's own validation found (nothing is sent). */
  function invalid(found: FieldErrors) {
    setErrors(found);
    setFailure(null);
  }

  /** Runs `request`; resolves true when it succeeded. */
  async function send(request: () => Promise<void>, options: SendOptions = {}): Promise<boolean> {
    setErrors({});
    setFailure(null);
    setBusy(true);
    try {
      await request();
      return true;
    } catch (err) {
      if (!(err instanceof ApiError)) {
        setFailure(
          `The request did not get an answer (${err instanceof Error ? err.message : String(err)}); try again.`,
        );
        return false;
      }
      const onFields = (options.fields ?? ((e) => e))(err.fieldErrors());
      setErrors(onFields);
      const on = options.quietWhenOn;
      const said = on === true ? Object.keys(onFields).length > 0 : (on?.some((k) => k in onFields) ?? false);
      setFailure(said ? null : err.friendly);
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { busy, failure, errors, invalid, send };
}

/** A dialog's Cancel and submit buttons; the submit one is disabled while the request runs. */
export function FormActions({
  onCancel,
  busy,
  label,
  busyLabel,
  danger,
  cancelLabel = 'Cancel',
  onSubmit,
  disabled,
}: {
  onCancel(): void;
  busy: boolean;
  label: string;
  busyLabel: string;
  danger?: boolean;
  cancelLabel?: string;
  /** For a button outside a form (a confirmation); otherwise it submits the form. */
  onSubmit?: () => void;
  disabled?: boolean;
}) {
  return (
    <div className="actions">
      <button type="button" className="btn btn-quiet" onClick={onCancel}>
        {cancelLabel}
      </button>
      <button
        type={onSubmit ? 'button' : 'submit'}
        className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`}
        disabled={busy || disabled}
        onClick={onSubmit}
      >
        {busy ? busyLabel : label}
      </button>
    </div>
  );
}
