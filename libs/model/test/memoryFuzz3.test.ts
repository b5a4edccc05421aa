import { memoryFuzzPart } from "./memoryFuzz.js";

memoryFuzzPart(3);
