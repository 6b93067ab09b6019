import { fold, type Decider } from './decider';

/** given(past events).when(command) → then(new events) / thenThrows(code): decider specs. */
export function specFor<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(past: readonly Event[]) {
      return {
        when(command: Command) {
          const run = (): Event[] => decider.decide(command, fold(decider, past));
          return {
            then(expected: readonly Event[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(code: string): void {
              let refusal: unknown = null;
              try {
                run();
              } catch (error) {
                refusal = error;
              }
              expect(refusal).toMatchObject({ code });
            },
          };
        },
      };
    },
  };
}
