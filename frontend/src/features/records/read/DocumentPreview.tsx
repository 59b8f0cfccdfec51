"use client";

import { useEffect, useState } from "react";

/**
 * A decrypted file shown in place: a PDF in an <iframe> over an object URL, an image inline,
 * anything else as a download. The object URL lives only as long as the preview.
 */
export function DocumentPreview({
  bytes,
  contentType,
  title,
}: {
  bytes: Uint8Array;
  contentType: string;
  title: string;
}) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    const objectUrl = URL.createObjectURL(new Blob([bytes as BlobPart], { type: contentType }));
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [bytes, contentType]);
  if (!url) return null;
  if (contentType === "application/pdf") {
    return (
      <div className="document-preview">
        <iframe src={url} title={`PDF preview: ${title}`} className="document-preview__frame" />
        <a href={url} download={/\.pdf$/i.test(title) ? title : `${title}.pdf`} className="button button--quiet">
          Download PDF
        </a>
      </div>
    );
  }
  if (contentType.startsWith("image/")) {
    return <img src={url} alt={title} className="document-preview__image" />;
  }
  return (
    <a href={url} download={title} className="button button--quiet">
      Download {title} ({contentType})
    </a>
  );
}
