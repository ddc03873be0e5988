import { PageHeader } from '../../ui.tsx';

export default function Page() {
  return <PageHeader title="endpoint" description="Being built." />;
}
