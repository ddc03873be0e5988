import { PageHeader } from '../../ui.tsx';

export default function Page() {
  return <PageHeader title="team" description="Being built." />;
}
