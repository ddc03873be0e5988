import { PageHeader } from '../../ui.tsx';

export default function Page() {
  return <PageHeader title="list" description="Being built." />;
}
