import { PageHeader } from '../ui.tsx';

export default function Page() {
  return <PageHeader title="overview" description="Being built." />;
}
