import { PageHeader } from '../ui.tsx';

export default function Page() {
  return <PageHeader title="audit" description="Being built." />;
}
