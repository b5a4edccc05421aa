// Action blocks (`@botschat/model/actions`): what a block may hold, what shows when it is not
// valid, and how an answer is checked and read back. Plain functions with no Automerge, so a UI
// thread may use them without loading the model.
export type { ActionBlockInput, OptionInput, RadioOptionInput, CardInput, FormFieldInput } from "./docs/ActionBlockInput.js";
export { validActionBlock, ACTION_LIMITS } from "./docs/validActionBlock.js";
export { actionBlockText } from "./docs/actionBlockText.js";
export { safeImageUrl, IMAGE_DATA_URL_MAX_CHARS } from "./docs/safeImageUrl.js";
export {
  answerOf,
  formAnswer,
  cardsValue,
  chosenCards,
  chosenForm,
  type FormValues,
  type ActionAnswerResult,
  type FormAnswerResult,
} from "./docs/actionAnswer.js";
