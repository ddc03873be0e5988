import { PageHeader } from '../../ui.tsx';

export default function Page() {
  return <PageHeader title="run" description="Being built." />;
}
