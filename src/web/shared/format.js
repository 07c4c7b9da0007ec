// People read dates as YYYY-MM-DD in Asia/Shanghai, whatever the browser's own time zone.
const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });

/** YYYY-MM-DD in Asia/Shanghai for an instant; a date string is returned as it is. */
export function shanghaiDate(value) {
  if (!value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return dateFormat.format(new Date(value));
}

/** YYYY-MM-DD HH:mm in Asia/Shanghai. */
export function shanghaiDateTime(value) {
  if (!value) return '';
  const d = new Date(value);
  return `${dateFormat.format(d)} ${timeFormat.format(d)}`;
}
