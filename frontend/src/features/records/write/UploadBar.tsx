import type { UploadProgress } from "./apiBlobStore";

/** Upload progress, announced politely. */
export function UploadBar({ progress, label }: { progress?: UploadProgress; label: string }) {
  const percent = progress && progress.total ? Math.round((progress.loaded / progress.total) * 100) : undefined;
  return (
    <div className="upload-progress" role="status">
      <span>
        {label}
        {percent === undefined ? "…" : ` — ${percent}%`}
      </span>
      <progress max={100} value={percent} aria-label={label} />
    </div>
  );
}
