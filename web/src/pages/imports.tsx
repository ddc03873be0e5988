import { PageHeader } from '../ui.tsx';

export default function Page() {
  return <PageHeader title="imports" description="Being built." />;
}
