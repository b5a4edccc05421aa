import { describeSchedule, nextRuns, parseSchedule } from "@botschat/model/schedule";
import { createMemo, createSignal, For, type JSX, Match, Show, Switch } from "solid-js";
import { formOf, Repeat, type ScheduleForm, scheduleOf } from "./scheduleForm.js";
import { bySeconds } from "./taskState.js";
import { fromNow, whenIn } from "./timeWords.js";

const UNITS = [
  { value: "s", label: "seconds" },
  { value: "m", label: "minutes" },
  { value: "h", label: "hours" },
  { value: "d", label: "days" },
] as const;
const REPEATS: { value: Repeat; label: string }[] = [
  { value: Repeat.every, label: "Every…" },
  { value: Repeat.daily, label: "Daily" },
  { value: Repeat.weekdays, label: "Weekdays" },
  { value: Repeat.weekly, label: "Weekly" },
  { value: Repeat.monthly, label: "Monthly" },
  { value: Repeat.cron, label: "Cron" },
];
/** Monday first, as calendars in most places start the week; values are cron's (0 = Sunday). */
const WEEK = [
  { day: 1, short: "Mon", name: "Monday" },
  { day: 2, short: "Tue", name: "Tuesday" },
  { day: 3, short: "Wed", name: "Wednesday" },
  { day: 4, short: "Thu", name: "Thursday" },
  { day: 5, short: "Fri", name: "Friday" },
  { day: 6, short: "Sat", name: "Saturday" },
  { day: 0, short: "Sun", name: "Sunday" },
];

/** Why a schedule cannot be saved, in words; undefined when it can. */
export function scheduleProblem(schedule: string): string | undefined {
  const parsed = parseSchedule(schedule);
  return parsed.ok ? undefined : parsed.message;
}

/**
 * The schedule of a task: a field that takes the schedule as text (`every 10s`, `at 07:30`,
 * `cron 0 9 * * 1-5`) and a form that writes it without knowing cron (every N units, daily,
 * weekdays, chosen days of the week, a day of the month, or a cron expression). It says the
 * schedule in words and shows its next runs in the task's time zone, or why it is not valid.
 */
export function ScheduleEditor(props: {
  schedule: string;
  timezone: string;
  /** When the task was created: `every` schedules count from it. */
  anchor: number;
  /** The time now (kept current by the caller): the next runs are after it. */
  now: number;
  zones: string[];
  onSchedule: (s: string) => void;
  onTimezone: (tz: string) => void;
}): JSX.Element {
  // The form keeps every kind's fields, so switching back and forth loses nothing.
  const [kept, setKept] = createSignal<ScheduleForm>(formOf(props.schedule));
  // The text the form wrote stays the form's (unchecking every day must not turn it into "cron").
  const form = createMemo(() => (scheduleOf(kept()) === props.schedule ? kept() : formOf(props.schedule, kept())));
  const change = (patch: Partial<ScheduleForm>): void => {
    const next = { ...form(), ...patch };
    setKept(next);
    props.onSchedule(scheduleOf(next));
  };
  const problem = createMemo(() => (form().repeat === Repeat.weekly && form().days.length === 0 ? "choose at least one day" : scheduleProblem(props.schedule)));
  const upcoming = createMemo(() => (problem() === undefined ? nextRuns(props.schedule, { timezone: props.timezone, anchor: props.anchor, from: props.now, count: 4 }) : []));
  const zoneMatters = (): boolean => form().repeat !== Repeat.every;

  return (
    <fieldset class="schedule">
      <legend>When it runs</legend>
      <div class="repeat" role="radiogroup" aria-label="Repeat">
        <For each={REPEATS}>
          {(r) => (
            <label class="chip" classList={{ on: form().repeat === r.value }}>
              <input type="radio" name="repeat" value={r.value} checked={form().repeat === r.value} onChange={() => change({ repeat: r.value })} />
              {r.label}
            </label>
          )}
        </For>
      </div>
      <div class="schedule-fields">
        <Switch>
          <Match when={form().repeat === Repeat.every}>
            <label class="inline">
              Every
              <input
                class="input num"
                type="number"
                min="1"
                max="999999"
                aria-label="Interval"
                value={form().amount}
                onInput={(e) => {
                  const n = Number(e.currentTarget.value);
                  if (Number.isInteger(n) && n >= 1) change({ amount: n });
                }}
              />
            </label>
            <select class="input unit" aria-label="Unit" value={form().unit} onChange={(e) => change({ unit: e.currentTarget.value as ScheduleForm["unit"] })}>
              <For each={UNITS}>{(u) => <option value={u.value}>{u.label}</option>}</For>
            </select>
          </Match>
          <Match when={form().repeat === Repeat.weekly}>
            <div class="days" role="group" aria-label="Days">
              <For each={WEEK}>
                {(d) => (
                  <label class="chip day" classList={{ on: form().days.includes(d.day) }} title={d.name}>
                    <input
                      type="checkbox"
                      aria-label={d.name}
                      checked={form().days.includes(d.day)}
                      onChange={(e) => change({ days: e.currentTarget.checked ? [...form().days, d.day] : form().days.filter((x) => x !== d.day) })}
                    />
                    {d.short}
                  </label>
                )}
              </For>
            </div>
            <TimeField value={form().time} onChange={(time) => change({ time })} />
          </Match>
          <Match when={form().repeat === Repeat.monthly}>
            <label class="inline">
              On day
              <input
                class="input num"
                type="number"
                min="1"
                max="31"
                aria-label="Day of the month"
                value={form().dayOfMonth}
                onInput={(e) => {
                  const n = Number(e.currentTarget.value);
                  if (Number.isInteger(n) && n >= 1 && n <= 31) change({ dayOfMonth: n });
                }}
              />
            </label>
            <TimeField value={form().time} onChange={(time) => change({ time })} />
          </Match>
          <Match when={form().repeat === Repeat.daily || form().repeat === Repeat.weekdays}>
            <TimeField value={form().time} onChange={(time) => change({ time })} />
          </Match>
          <Match when={form().repeat === Repeat.cron}>
            <p class="hint">
              Five fields: minute, hour, day of the month, month, day of the week — for example <code>cron 0 9 * * 1-5</code>.
            </p>
          </Match>
        </Switch>
      </div>
      <label class="field">
        <span>Schedule</span>
        <input
          class="input mono"
          value={props.schedule}
          spellcheck={false}
          autocomplete="off"
          aria-invalid={problem() !== undefined}
          aria-describedby="schedule-words"
          onInput={(e) => props.onSchedule(e.currentTarget.value)}
        />
      </label>
      <div id="schedule-words" class="schedule-words">
        <Show when={problem()} fallback={<span class="words">Runs {describeSchedule(props.schedule, zoneMatters() ? props.timezone : undefined)}.</span>}>
          {(p) => (
            <span class="error-text" role="alert">
              Not a schedule: {p()}.
            </span>
          )}
        </Show>
      </div>
      <label class="field">
        <span>Time zone{zoneMatters() ? "" : " (used by daily and cron schedules)"}</span>
        <select class="input" value={props.timezone} onChange={(e) => props.onTimezone(e.currentTarget.value)}>
          <For each={props.zones}>{(z) => <option value={z}>{z.replaceAll("_", " ")}</option>}</For>
        </select>
      </label>
      <Show when={upcoming().length > 0}>
        <div class="next-runs">
          <span class="hint">Next runs ({props.timezone.replaceAll("_", " ")})</span>
          <ol aria-label="Next runs">
            <For each={upcoming()}>
              {(t) => (
                <li>
                  {whenIn(t, props.timezone, { seconds: bySeconds(props.schedule), now: props.now })} <span class="hint">({fromNow(t, props.now)})</span>
                </li>
              )}
            </For>
          </ol>
        </div>
      </Show>
    </fieldset>
  );
}

function TimeField(props: { value: string; onChange: (hhmm: string) => void }): JSX.Element {
  return (
    <label class="inline">
      at
      <input class="input time" type="time" aria-label="Time of day" value={props.value} required onInput={(e) => e.currentTarget.value && props.onChange(e.currentTarget.value)} />
    </label>
  );
}
