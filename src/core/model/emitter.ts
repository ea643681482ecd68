// A typed event source without vscode: `event(listener)` has the shape of vscode.Event, so views
// subscribe to the model as they would to any VS Code event.
export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (value: T) => void;
export type Event<T> = (listener: Listener<T>) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<Listener<T>>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // One failing view must not keep the others from hearing of the change.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
