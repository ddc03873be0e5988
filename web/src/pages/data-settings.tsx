import { PageHeader } from '../ui.tsx';

export default function Page() {
  return <PageHeader title="data-settings" description="Being built." />;
}
