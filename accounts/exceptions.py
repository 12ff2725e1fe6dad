from agent_platform.errors import Conflict, InvalidInput


class WorkspaceHeaderInvalid(InvalidInput):
    code, title = "workspace_header_invalid", "X-Workspace must be a workspace id"


class MemberExists(Conflict):
    code, title = "member_exists", "Already a member"


class EmailTaken(Conflict):
    code, title = "email_taken", "Email already registered"
