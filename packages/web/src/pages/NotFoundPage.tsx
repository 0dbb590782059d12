import { Link } from 'react-router';
import { PageHeader } from '../components/PageHeader.tsx';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p className="state-message">
        There is no console page at this address. <Link to="/">Back to the overview</Link>.
      </p>
    </>
  );
}
