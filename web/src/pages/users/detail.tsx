import { PageHeader } from '../../ui.tsx';

export default function Page() {
  return <PageHeader title="detail" description="Being built." />;
}
