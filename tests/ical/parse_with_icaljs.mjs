// Reads an iCalendar file on stdin the way Thunderbird does (Mozilla's ical.js) and prints,
// as JSON, each VEVENT's UID, SUMMARY and start/end as UTC instants, plus the zone each
// start was read in ("floating" would mean the VTIMEZONE was not understood).
// Usage: node parse_with_icaljs.mjs < calendar.ics
import ICAL from "./vendor/ical.mjs";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");

const calendar = new ICAL.Component(ICAL.parse(text));
// Only the calendar's own VTIMEZONEs: ical.js knows no zone by name.
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}

const utc = (time) => time.toJSDate().toISOString().replace(".000Z", "Z");
const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    summary: event.summary,
    location: event.location,
    sequence: event.sequence,
    status: vevent.getFirstPropertyValue("status"),
    tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    start: utc(event.startDate),
    end: utc(event.endDate),
  };
});
process.stdout.write(
  JSON.stringify({ method: calendar.getFirstPropertyValue("method"), events }) + "\n"
);
