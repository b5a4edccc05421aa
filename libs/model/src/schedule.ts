// Task schedules (`@botschat/model/schedule`): parsing, words, next runs. Plain functions over
// croner and cronstrue with no Automerge, so a UI thread may use them without loading the model.
export { parseSchedule, type Schedule, type ParseScheduleResult } from "./docs/parseSchedule.js";
export { describeSchedule } from "./docs/describeSchedule.js";
export { nextRuns, type NextRunsOptions } from "./docs/nextRuns.js";
export { validTimezone } from "./docs/validTimezone.js";
