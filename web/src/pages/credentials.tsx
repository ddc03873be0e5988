import { PageHeader } from '../ui.tsx';

export default function Page() {
  return <PageHeader title="credentials" description="Being built." />;
}
