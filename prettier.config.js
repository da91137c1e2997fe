// Prettier: the house style (2 spaces, single quotes, semicolons). printWidth 160 is the line
// length the code was already written to (the house rule said "up to about 160"), so the one-time
// `npm run format` rewraps the fewest lines; anything longer is a sign to name a piece.
/** @type {import('prettier').Config} */
export default {
  printWidth: 160,
  singleQuote: true,
};
