import { PageHeader } from '../../ui.tsx';

export default function Page() {
  return <PageHeader title="accept" description="Being built." />;
}
