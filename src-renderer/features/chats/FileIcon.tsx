import {
  File,
  FileArchive,
  FileAudio,
  FileCode,
  FileImage,
  FileSpreadsheet,
  FileText,
  FileVideo,
} from 'lucide-react';

/** An icon for a kind of file, by its type (as found in its content, where known). */
export function FileIcon({ mime, size = 20 }: { mime: string; size?: number }) {
  const Icon = mime.startsWith('image/')
    ? FileImage
    : mime.startsWith('video/')
      ? FileVideo
      : mime.startsWith('audio/')
        ? FileAudio
        : /zip|tar|gzip|7z|rar|bzip|xz|compress/.test(mime)
          ? FileArchive
          : /sheet|excel|csv/.test(mime)
            ? FileSpreadsheet
            : /json|xml|html|javascript|x-sh|x-elf|executable|msdownload/.test(mime)
              ? FileCode
              : /pdf|text|word|document|rtf|presentation/.test(mime)
                ? FileText
                : File;
  return <Icon className="file-icon" width={size} height={size} aria-hidden="true" />;
}
