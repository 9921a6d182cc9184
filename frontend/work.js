// Styles of My work, the month calendars, comments and notifications; the pages themselves need
// no script beyond htmx (every action is a plain form POST too).
import "./work.css";
