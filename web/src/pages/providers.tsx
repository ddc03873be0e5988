import { PageHeader } from '../ui.tsx';

export default function Page() {
  return <PageHeader title="providers" description="Being built." />;
}
