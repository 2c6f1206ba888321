// "What happens next", in words, from the cursor's state, its pause points and its batches.
import { number, relative } from "./dom.js";

export function nextStep(cursor, batches) {
  const p = cursor.progress;
  const failures = p.hosts_failed + p.hosts_unreachable;
  const retry = failures > 0 ? ` ${number(failures)} hosts failed or were unreachable: retry them as a new rollout.` : "";
  const out = [...batches.values()].filter((b) => b.state === "leased");
  const nextBatch = Math.min(p.batches_total, [...batches.keys()].reduce((m, k) => Math.max(m, k), 0) + 1);
  const pauses = (cursor.pause_after || []).filter((n) => n > p.batches_completed).sort((a, b) => a - b);
  switch (cursor.state) {
    case "done":
      return `Every host is in a completed batch: the rollout is done.${retry}`;
    case "aborted":
      return `Aborted (${cursor.state_reason || "by an operator"}): it hands out no batch again.${retry}`;
    case "halted":
      return `Halted: ${cursor.state_reason || "a failure threshold tripped"}. Look at the failed hosts, then resume to go on or abort.`;
    case "paused": {
      const canary = (cursor.pause_after || []).includes(1) && p.batches_completed === 1;
      if (canary) return "Paused after the canary batch: look at its results, then resume to go on.";
      return `Paused (${cursor.state_reason || "by an operator"}): resume to go on with batch ${nextBatch} of ${number(p.batches_total)}.`;
    }
    default: {
      const parts = [];
      if (out.length) {
        const b = out[0];
        parts.push(`Batch ${b.batch_id} is out with ${b.consumer}, lease ends ${relative(b.lease_expires_at)}` +
          (out.length > 1 ? ` (and ${out.length - 1} more batches are out)` : "") + ".");
      }
      const available = [...batches.values()].filter((b) => b.state === "available");
      if (available.length) parts.push(`Batch ${available[0].batch_id} was handed back and goes out again with the next claim.`);
      else if (cursor.has_more && nextBatch <= p.batches_total && !batches.has(nextBatch)) {
        parts.push(out.length >= cursor.max_in_flight
          ? `Batch ${nextBatch} goes out when one in flight completes (at most ${cursor.max_in_flight} at a time).`
          : `The next claim gets batch ${nextBatch} of ${number(p.batches_total)}.`);
      } else if (out.length) parts.push("It is done when the batches out complete.");
      if (pauses.length) parts.push(`It pauses after batch ${pauses[0]}.`);
      return parts.join(" ");
    }
  }
}
