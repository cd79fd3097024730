// A device's hostname wherever it is shown: a link to its device page.
import { Link } from 'react-router';

export function DeviceLink({ id, hostname, className }: { id: string; hostname: string; className?: string }) {
  return (
    <Link to={`/devices/${id}`} className={className ?? 'device-link'}>
      {hostname}
    </Link>
  );
}
