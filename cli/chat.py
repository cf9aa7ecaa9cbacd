"""`msme-qa chat`: a conversation in the terminal, or one answer per line when stdin is not one."""

from __future__ import annotations

import os
import shlex
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rich.console import Console
from rich.text import Text

from cli import answers, options, render
from cli.ask import status
from cli.errors import _is_domain, debug, environment_problem, handled
from cli.progress import watch_builds
from qa.catalogue.dates import format_date

if TYPE_CHECKING:
    from qa.answers.model import Answer
    from qa.catalogue.model import Catalogue
    from qa.chat.conversation import Conversation

PROMPT = "msme-qa> "
HELP = """\
Ask in plain words: "Who presented on cyber security?", "What is Australia's de minimis threshold?"
Follow-ups use the conversation: "Who gave it?", "Where are the slides?", "Tell me more",
"the second one", "Who else presented that day?", "What else did they present?", "And the next update?",
"Which of those was in 2022?", "And what did UNCITRAL say?". A question naming its own subject starts afresh.

  /sources          the last answer's sources in full
  /more             more sentences from the last answer's presentations
  /explain          how the last question was read and why its answer ranked as it did
  /open N           open source N's link in the browser
  /list [filters]   presentations, filtered as in `msme-qa list`, e.g.
                    /list --institution ITC --since 2022   (also --category, --until)
  /reset            forget the conversation
  /history          the turns so far, with how each was read
  /save FILE        write the conversation so far, with its sources, as Markdown
  /help             this help
  /quit             leave (or Ctrl-D; Ctrl-C clears the line being typed)"""
_LIST_OPTIONS = {
    "--institution": "institution",
    "-i": "institution",
    "--category": "category",
    "-c": "category",
    "--since": "since",
    "--until": "until",
}


@handled
def chat(
    json: options.Json = False,
    explain: options.Explain = False,
    top_k: options.TopK = 5,
    catalogue: options.Catalogue = None,
    index: options.Index = None,
    model: options.Model = None,
) -> None:
    """Talk with the catalogue: questions, follow-ups ("Who gave it?", "the second one") and /help.

    With stdin not a terminal: one question per line, one answer per question (--json: JSON Lines).

    Example: printf 'What is MLETR?\\nWho gave it?\\n' | msme-qa chat --json
    """
    from qa.chat.conversation import Conversation
    from qa.service import LiveAssistant

    said: list[str] = []

    def on_status(message: str) -> None:
        said.append(message)
        status(message)

    live = LiveAssistant(catalogue, index, model, on_status=on_status, watch=watch_builds)
    cat = live.get().catalogue  # the model and index load once, here; a catalogue that fails stops here
    session = Chat(Conversation(live.get, top_k=top_k), lambda: live.get().catalogue, json=json, explain=explain)
    if sys.stdin.isatty():
        state = "index brought up to date just now" if said else "index up to date"
        session.repl(welcome(cat, state))
    else:
        session.run_lines(sys.stdin)


def welcome(cat: Catalogue, index_state: str) -> str:
    """One line: the catalogue, its size and dates, the index's state, and how to get help."""
    days = sorted(e.date for e in cat.entries)
    name = cat.path.name if cat.path else "catalogue"
    span = f"from {format_date(days[0])} to {format_date(days[-1])}"
    return f"msme-qa chat · {name}: {len(days)} presentations {span}; {index_state}. /help for help, Ctrl-D to leave."


def history_file() -> Path:
    """The chat history (everything the user asked): created 0600 in a 0700 directory.

    A history file that already exists keeps its mode; if other users can read it, say so once.
    """
    from platformdirs import user_data_dir

    from embeddings import private_dir

    path = private_dir(user_data_dir("msme-qa")) / "chat-history"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        readable_by_others = os.fstat(fd).st_mode & 0o044
    finally:
        os.close(fd)
    if readable_by_others:
        status(f"the chat history {path} can be read by other users; `chmod 600 {path}` makes it private")
    return path


@dataclass
class Chat:
    """One session: reads lines, answers questions, runs slash commands, survives a bad line."""

    conversation: Conversation
    catalogue: Callable[[], Catalogue]
    json: bool = False
    explain: bool = False
    interactive: bool = False

    def __post_init__(self) -> None:
        self.out: Console = render.console()
        self.answered = 0
        self.running: str | None = None  # the slash command being run, named in its JSON output

    def repl(self, greeting: str) -> None:
        """The terminal conversation: line editing and history (prompt_toolkit), Ctrl-C, Ctrl-D."""
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory, History, InMemoryHistory

        self.interactive = True
        history: History
        try:
            history = FileHistory(str(history_file()))
        except OSError as exc:  # a read-only home: the session still works, without saved history
            status(f"history will not be kept: {exc}")
            history = InMemoryHistory()
        prompt: PromptSession[str] = PromptSession(history=history)
        self.out.print(render.safe(greeting, "bold"))
        while True:
            try:
                line = prompt.prompt(PROMPT)
            except KeyboardInterrupt:
                continue  # Ctrl-C drops the line being typed
            except EOFError:
                break  # Ctrl-D
            try:
                if not self.turn(line):
                    break
            except KeyboardInterrupt:
                self.out.print(Text("(cancelled)", style="dim"))

    def turn(self, line: str) -> bool:
        """One line of the terminal conversation: its output, then a blank line before the next prompt."""
        going = self.handle(line)
        if going and line.strip():
            self.out.print()
        return going

    def run_lines(self, stream: TextIO) -> None:
        """stdin not a terminal: one question (or command) per line, one answer each; blank lines skipped."""
        while line := stream.readline():
            if not self.handle(line):
                break

    def handle(self, line: str) -> bool:
        """Answer or run one line; False when the session should end. Errors are reported, not raised."""
        line = line.strip()
        if not line:
            return True
        try:
            if line.startswith("/"):
                return self.command(line)
            self.show(self.conversation.ask(line))
        except Exception as exc:  # one bad line must not end the session
            self.report(line, exc)
        return True

    # Output ----------------------------------------------------------------------------------------

    def _separate(self) -> None:
        """Piped output: a blank line between answers (the terminal conversation adds one after each)."""
        if self.answered and not (self.json or self.interactive):
            self.out.print()
        self.answered += 1

    def show(self, answer: Answer) -> None:
        data = answer.to_json()
        read_as = next((n.removeprefix("read as: ") for n in answer.notes if n.startswith("read as: ")), None)
        why = self._explanation(answer) if self.explain else None
        if self.json:
            if read_as:
                data["read_as"] = read_as
            if why is not None:
                data["explain"] = why
            self.emit(data)
            return
        self._separate()
        if read_as and self.interactive and not answer.read_as:
            self.out.print(render.safe(f"(read as: {read_as})", "dim"))
        answers.show(self.out, answer)
        if why is not None:
            answers.show_explanation(self.out, why)
        self._flush()

    def _explanation(self, answer: Answer) -> dict[str, Any]:
        from qa.answers.explain import explain

        return explain(answer, self.conversation.assistant.retriever)

    def explain_last(self) -> None:
        """/explain: the last answer's explanation."""
        last = self.conversation.last
        if last is None:
            self.say("Nothing to explain yet: ask a question first.", {"explain": None})
            return
        why = self._explanation(last)
        if self.json:
            self.emit({"question": last.question, "explain": why})
            return
        self._separate()
        answers.show_explanation(self.out, why)
        self._flush()

    def emit(self, data: dict[str, Any]) -> None:
        """One JSON object on one line; a slash command's output says which command it answers."""
        if self.running:
            data = {"command": self.running, **data}
        sys.stdout.write(render.json_text(data) + "\n")
        sys.stdout.flush()

    def say(self, text: str | Text, data: dict[str, Any] | None = None) -> None:
        """A command's output: text for people, ``data`` as one JSON line with --json."""
        if self.json:
            self.emit(data if data is not None else {"message": str(text)})
            return
        self._separate()
        # Never Rich markup ("[filters]" is text), never a control character (a title may be in it).
        self.out.print(render.safe(text, lines=True) if isinstance(text, str) else text)
        self._flush()

    def _flush(self) -> None:
        self.out.file.flush()

    def report(self, line: str, exc: Exception) -> None:
        """One line on stderr (and, with --json, an error object in place of the answer); never a traceback
        unless MSME_QA_DEBUG=1."""
        known = environment_problem(exc) or (str(exc) if _is_domain(exc) else None)
        message = render.printable(known or f"unexpected error: {type(exc).__name__}: {exc}")
        hint = ""
        if known is None:
            if debug():
                traceback.print_exc()
            else:
                hint = " (MSME_QA_DEBUG=1 shows the traceback)"
        sys.stdout.flush()
        sys.stderr.write(f"msme-qa: {message}{hint}\n")
        sys.stderr.flush()
        if self.json:
            self.emit({"question": line, "error": message})

    # Slash commands --------------------------------------------------------------------------------

    def command(self, line: str) -> bool:

        name, _, rest = line.partition(" ")
        name = name.lower()
        if name in ("/quit", "/exit", "/q"):
            return False
        self.running = name
        try:
            return self._dispatch(name, rest)
        finally:
            self.running = None

    def _dispatch(self, name: str, rest: str) -> bool:
        from qa.errors import UsageError

        if name == "/help":
            self.say(HELP, {"help": HELP})
        elif name == "/reset":
            self.conversation.reset()
            self.say("Forgotten: the next question starts afresh.", {"reset": True})
        elif name == "/history":
            self.history()
        elif name == "/more":
            self.show(self.conversation.more())
        elif name == "/sources":
            self.sources()
        elif name == "/explain":
            self.explain_last()
        elif name == "/open":
            self.open(rest.strip())
        elif name == "/list":
            self.list_entries(rest)
        elif name == "/save":
            self.save(rest.strip())
        else:
            raise UsageError(f"unknown command {name}; /help lists the commands")
        return True

    def history(self) -> None:
        turns = self.conversation.turns
        if not turns:
            self.say("No turns yet: ask a question.", {"turns": []})
            return
        lines = []
        for n, t in enumerate(turns, 1):
            first = t.answer.citations[0].entry.title if t.answer.citations else "nothing cited"
            lines.append(f"{n}. {t.typed}\n   read as ({t.operation}): {t.read_as}\n   -> {first}")
        data = [
            {
                "question": t.typed,
                "operation": t.operation,
                "read_as": t.read_as,
                "cited": [c.entry.id for c in t.answer.citations],
            }
            for t in turns
        ]
        self.say("\n".join(lines), {"turns": data})

    def save(self, arg: str) -> None:
        """The conversation so far as Markdown, in a new file (an existing one is never overwritten)."""
        from pathlib import Path

        from cli.markdown import conversation_markdown
        from qa.errors import UsageError

        if not arg:
            raise UsageError("give a file name: /save briefing.md")
        turns = self.conversation.turns
        if not turns:
            raise UsageError("nothing to save yet: ask a question first")
        path = Path(arg).expanduser()
        text = conversation_markdown(turns, "msme-qa: questions and answers")
        try:
            with path.open("x", encoding="utf-8") as out:  # "x": fails if the file exists
                out.write(text)
        except FileExistsError:
            raise UsageError(f"{path} exists already; give another name") from None
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        n = len(turns)
        self.say(f"Saved {n} turn{'s' if n != 1 else ''} to {path}.", {"saved": str(path), "turns": n})

    def sources(self) -> None:
        last = self.conversation.last
        if last is None or not last.citations:
            self.say("No sources yet: the last answer cited nothing.", {"sources": []})
            return
        if self.json:
            self.emit({"sources": [{"n": c.n, **c.entry.to_json()} for c in last.citations]})
            return
        parts = Text()
        for k, c in enumerate(last.citations):
            parts.append(("\n" if k else "") + f"[{c.n}] ", style="bold cyan")
            parts.append_text(render.entry_detail(c.entry))
        self.say(parts)

    def open(self, arg: str) -> None:
        import webbrowser

        from qa.catalogue.links import is_web_link
        from qa.errors import UsageError

        last = self.conversation.last
        cited = last.citations if last else ()
        if not cited:
            raise UsageError("nothing to open: the last answer cited nothing")
        if not arg and len(cited) == 1:
            arg = "1"
        if not arg.isdigit() or not 1 <= int(arg) <= len(cited):
            raise UsageError(f"give the number of a source, 1 to {len(cited)}: /open 1")
        entry = cited[int(arg) - 1].entry
        if not entry.link:
            raise UsageError(f"[{arg}] {entry.title} has no link in the catalogue")
        if not is_web_link(entry.link):
            raise UsageError(f"[{arg}] {entry.title}: its link {entry.link[:80]!r} is not a web link; not opening it")
        opened = webbrowser.open(entry.link)
        verb = "Opened" if opened else "Could not open a browser here; the link is"
        self.say(f"{verb} [{arg}] {entry.title}: {entry.link}", {"opened": opened, "n": int(arg), "link": entry.link})

    def list_entries(self, args: str) -> None:
        from qa.catalogue.filters import Filter
        from qa.question.when import read_bounds

        options: dict[str, Any] = parse_list_args(args)
        options["since"], options["until"] = read_bounds(options.get("since"), options.get("until"))
        catalogue = self.catalogue()
        entries = Filter.from_options(catalogue, **options).apply(catalogue.entries)
        if self.json:
            self.emit({"count": len(entries), "entries": [e.to_json() for e in entries]})
        elif not entries:
            self.say("No presentations match these filters.")
        else:
            n = len(entries)
            self._separate()
            render.print_entries(self.out, entries, title=f"{n} presentation{'s' if n != 1 else ''}")
            self._flush()


def parse_list_args(args: str) -> dict[str, str]:
    """`/list --institution ITC --since 2022` -> keyword arguments of Filter.from_options."""
    from qa.errors import UsageError

    try:
        words = shlex.split(args)
    except ValueError as exc:
        raise UsageError(f"/list: {exc}") from None
    found: dict[str, str] = {}
    while words:
        word = words.pop(0)
        flag, eq, value = word.partition("=")
        if flag not in _LIST_OPTIONS:
            raise UsageError(f"/list: unknown option {word!r}; use --institution, --category, --since, --until")
        if not eq:
            if not words:
                raise UsageError(f"/list: {flag} needs a value, e.g. /list {flag} {_example(flag)}")
            value = words.pop(0)
        found[_LIST_OPTIONS[flag]] = value
    return found


def _example(flag: str) -> str:
    return {"institution": "ITC", "category": "Digital"}.get(_LIST_OPTIONS[flag], "2022")
