from agent_platform.tenancy import workspace_task
from tests.sample.models import Note


@workspace_task
def note_rename_task(workspace_id: int, note_id: int, title: str) -> int:
    """Renames a note of the task's workspace; another workspace's note is invisible (0)."""
    return Note.objects.filter(id=note_id).update(title=title)
