/**
 * CodeMirror 6 (through @uiw/react-codemirror) for node data: JSON highlighted and foldable, read-only
 * in the node panel and editable in the editor. The theme follows the app's color scheme.
 */
import { json } from '@codemirror/lang-json';
import { EditorView } from '@codemirror/view';
import { useComputedColorScheme } from '@mantine/core';
import CodeMirror from '@uiw/react-codemirror';
import { useMemo } from 'react';

export type CodeLanguage = 'json' | 'text';

interface CodeEditorProps {
  value: string;
  language: CodeLanguage;
  readOnly?: boolean;
  onChange?: (value: string) => void;
  maxHeight?: string;
  minHeight?: string;
  testId?: string;
  ariaLabel?: string;
}

export function CodeEditor({
  value,
  language,
  readOnly = false,
  onChange,
  maxHeight = '45vh',
  minHeight,
  testId,
  ariaLabel,
}: CodeEditorProps) {
  const scheme = useComputedColorScheme('dark');
  const extensions = useMemo(
    () => [
      ...(language === 'json' ? [json()] : []),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({
        'aria-label': ariaLabel ?? (readOnly ? 'Node data' : 'Edit node data'),
      }),
    ],
    [language, readOnly, ariaLabel],
  );
  return (
    <div data-testid={testId} data-language={language}>
      <CodeMirror
        value={value}
        theme={scheme === 'dark' ? 'dark' : 'light'}
        extensions={extensions}
        readOnly={readOnly}
        editable={!readOnly}
        onChange={onChange}
        maxHeight={maxHeight}
        minHeight={minHeight}
        basicSetup={{
          lineNumbers: true,
          foldGutter: true,
          highlightActiveLine: !readOnly,
          highlightActiveLineGutter: !readOnly,
          autocompletion: false,
          // Typed characters stay exactly what was typed: node data is bytes, not code to complete.
          closeBrackets: false,
          searchKeymap: true,
        }}
        style={{
          fontSize: 13,
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 'var(--mantine-radius-sm)',
          overflow: 'hidden',
        }}
      />
    </div>
  );
}
