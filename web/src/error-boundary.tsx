import { Component, type ReactNode } from 'react';
import { ErrorNote } from './ui.tsx';

/** A page that throws while rendering shows its error in place; the navigation keeps working. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override render() {
    if (this.state.error !== undefined) {
      return <ErrorNote error={this.state.error} retry={() => this.setState({ error: undefined })} />;
    }
    return this.props.children;
  }
}
