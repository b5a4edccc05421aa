import { describeSchedule, nextRuns, parseSchedule } from "@botschat/model/schedule";
import { createEffect, createMemo, createSignal, For, type JSX, Match, Show, Switch } from "solid-js";
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
  /** The task is switched off: it has no next runs until it is on again. */
  paused?: boolean;
  zones: string[];
  onSchedule: (s: string) => void;
  onTimezone: (tz: string) => void;
}): JSX.Element {
  // The form keeps every kind's fields, so switching back and forth loses nothing.
  const [kept, setKept] = createSignal<ScheduleForm>(formOf(props.schedule));
  // The text the form wrote stays the form's (unchecking every day must not turn it into "cron").
  const form = createMemo(() => (scheduleOf(kept()) === props.schedule ? kept() : formOf(props.schedule, kept())));
  const change = (patch: Partial<ScheduleForm>): void => {
    // Cron takes the schedule as it stands, written as a cron expression, to edit from there.
    const asCron = patch.repeat === Repeat.cron && form().repeat !== Repeat.cron ? { cron: cronOf(form()) } : {};
    const next = { ...form(), ...patch, ...asCron };
    setKept(next);
    props.onSchedule(scheduleOf(next));
  };
  const problem = createMemo(() => (form().repeat === Repeat.weekly && form().days.length === 0 ? "choose at least one day" : scheduleProblem(props.schedule)));
  const upcoming = createMemo(() =>
    problem() === undefined ? nextRuns(props.schedule, { timezone: props.timezone, anchor: props.anchor, from: props.now, count: 4 }) : [],
  );
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
            <WholeNumber label="Every" name="Interval" min={1} max={999_999} value={form().amount} onChange={(amount) => change({ amount })} />
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
            <WholeNumber label="On day" name="Day of the month" min={1} max={31} value={form().dayOfMonth} onChange={(dayOfMonth) => change({ dayOfMonth })} />
            <TimeField value={form().time} onChange={(time) => change({ time })} />
          </Match>
          <Match when={form().repeat === Repeat.daily || form().repeat === Repeat.weekdays}>
            <TimeField value={form().time} onChange={(time) => change({ time })} />
          </Match>
          <Match when={form().repeat === Repeat.cron}>
            <p class="hint">
              Minute, hour, day of the month, month, day of the week (a sixth field in front counts seconds) — for example <code>cron 0 9 * * 1-5</code>.
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
              Not a schedule: <WithCode text={p()} />.
            </span>
          )}
        </Show>
      </div>
      <label class="field">
        <span>Time zone{zoneMatters() ? "" : " (used by daily and cron schedules)"}</span>
        <select class="input" aria-label="Time zone" value={props.timezone} onChange={(e) => props.onTimezone(e.currentTarget.value)}>
          <For each={props.zones}>{(z) => <option value={z}>{z.replaceAll("_", " ")}</option>}</For>
        </select>
      </label>
      <Show when={props.paused === true && upcoming().length > 0}>
        <p class="hint next-runs">Paused: it runs again once Enabled is on.</p>
      </Show>
      <Show when={props.paused !== true && upcoming().length > 0}>
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

/**
 * A time of day. While it has the focus its value is the person's: writing the schedule's time
 * back into it mid-typing (07:3… is a whole time already) would reset the field under their keys.
 */
function TimeField(props: { value: string; onChange: (hhmm: string) => void }): JSX.Element {
  let input!: HTMLInputElement;
  createEffect(() => {
    const v = props.value;
    if (document.activeElement !== input && input.value !== v) input.value = v;
  });
  return (
    <label class="inline">
      at
      <input
        ref={(el) => (input = el)}
        class="input time"
        type="time"
        aria-label="Time of day"
        required
        onInput={(e) => e.currentTarget.value && props.onChange(e.currentTarget.value)}
        onBlur={(e) => e.currentTarget.value !== props.value && (e.currentTarget.value = props.value)}
      />
    </label>
  );
}

/** A whole number within bounds; what is typed outside them (or half typed) changes nothing. */
function WholeNumber(props: { label: string; name: string; min: number; max: number; value: number; onChange: (n: number) => void }): JSX.Element {
  return (
    <label class="inline">
      {props.label}
      <input
        class="input num"
        type="number"
        min={props.min}
        max={props.max}
        aria-label={props.name}
        value={props.value}
        onInput={(e) => {
          const n = Number(e.currentTarget.value);
          if (Number.isInteger(n) && n >= props.min && n <= props.max) props.onChange(n);
        }}
      />
    </label>
  );
}

/** A message whose `quoted` parts are shown as code. */
function WithCode(props: { text: string }): JSX.Element {
  return <For each={props.text.split("`")}>{(part, i) => (i() % 2 === 1 ? <code>{part}</code> : part)}</For>;
}

/** The cron expression of what the form says (for every… and daily, its nearest cron form). */
function cronOf(form: ScheduleForm): string {
  const s = scheduleOf(form);
  if (s.startsWith("cron ")) return s.slice(5);
  const [h, m] = form.time.split(":").map(Number);
  if (form.repeat === Repeat.daily) return `${m ?? 0} ${h ?? 0} * * *`;
  return form.cron;
}
