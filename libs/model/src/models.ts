// Models (`@botschat/model/models`): which model a gateway answers with. A plain function with no
// Automerge, so a UI thread may use it without loading the model.
export { effectiveDefaultModel, type OfferedModels } from "./docs/defaultModel.js";
