import { PageHeader } from '../ui.tsx';
import { RetentionSection } from './data-settings/retention.tsx';
import { SourcePrioritySection } from './data-settings/source-priority.tsx';
import './data-settings/data-settings.css';

export default function DataSettingsPage() {
  return (
    <>
      <PageHeader
        title="Data settings"
        description="How long your users' health data is kept, and which source wins when two record the same thing."
      />
      <RetentionSection />
      <SourcePrioritySection />
    </>
  );
}
