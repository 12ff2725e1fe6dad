/** The API's vocabulary (automations.selectors.trigger_vocabulary), for the tests. */
import type { Vocabulary } from "./api";

export const VOCABULARY: Vocabulary = {
  "facts": [
    {
      "name": "message.text",
      "kind": "text",
      "operators": [
        "contains",
        "equals",
        "in",
        "is_empty",
        "is_not_empty",
        "matches",
        "not_contains",
        "not_equals",
        "not_in"
      ],
      "label": "Message text"
    },
    {
      "name": "message.language",
      "kind": "text",
      "operators": [
        "contains",
        "equals",
        "in",
        "is_empty",
        "is_not_empty",
        "matches",
        "not_contains",
        "not_equals",
        "not_in"
      ],
      "label": "Message language"
    },
    {
      "name": "conversation.channel",
      "kind": "text",
      "operators": [
        "contains",
        "equals",
        "in",
        "is_empty",
        "is_not_empty",
        "matches",
        "not_contains",
        "not_equals",
        "not_in"
      ],
      "label": "Channel"
    },
    {
      "name": "conversation.ai_replies",
      "kind": "number",
      "operators": [
        "between",
        "equals",
        "gt",
        "gte",
        "in",
        "is_empty",
        "is_not_empty",
        "lt",
        "lte",
        "not_equals",
        "not_in"
      ],
      "label": "AI replies in the conversation"
    },
    {
      "name": "customer.silent_minutes",
      "kind": "number",
      "operators": [
        "between",
        "equals",
        "gt",
        "gte",
        "in",
        "is_empty",
        "is_not_empty",
        "lt",
        "lte",
        "not_equals",
        "not_in"
      ],
      "label": "Customer silent for (minutes)"
    },
    {
      "name": "lead.pipeline_id",
      "kind": "number",
      "operators": [
        "between",
        "equals",
        "gt",
        "gte",
        "in",
        "is_empty",
        "is_not_empty",
        "lt",
        "lte",
        "not_equals",
        "not_in"
      ],
      "label": "Lead's pipeline"
    },
    {
      "name": "lead.stage_id",
      "kind": "number",
      "operators": [
        "between",
        "equals",
        "gt",
        "gte",
        "in",
        "is_empty",
        "is_not_empty",
        "lt",
        "lte",
        "not_equals",
        "not_in"
      ],
      "label": "Lead's stage"
    },
    {
      "name": "lead.tags",
      "kind": "list",
      "operators": [
        "excludes",
        "includes",
        "is_empty",
        "is_not_empty"
      ],
      "label": "Lead's tags"
    },
    {
      "name": "lead.field",
      "kind": "field",
      "operators": [
        "between",
        "contains",
        "equals",
        "gt",
        "gte",
        "in",
        "is_empty",
        "is_not_empty",
        "lt",
        "lte",
        "matches",
        "not_contains",
        "not_equals",
        "not_in"
      ],
      "label": "Lead's CRM field"
    },
    {
      "name": "time.weekday",
      "kind": "number",
      "operators": [
        "between",
        "equals",
        "gt",
        "gte",
        "in",
        "is_empty",
        "is_not_empty",
        "lt",
        "lte",
        "not_equals",
        "not_in"
      ],
      "label": "Weekday (1 = Monday)"
    },
    {
      "name": "time.local",
      "kind": "time",
      "operators": [
        "after",
        "before",
        "between"
      ],
      "label": "Local time (HH:MM)"
    }
  ],
  "actions": [
    {
      "kind": "send_message",
      "label": "Send a message",
      "params": [
        {
          "name": "text",
          "type": "template",
          "required": true
        }
      ]
    },
    {
      "kind": "change_stage",
      "label": "Change the lead's stage",
      "params": [
        {
          "name": "pipeline_id",
          "type": "pipeline_id",
          "required": true
        },
        {
          "name": "stage_id",
          "type": "stage_id",
          "required": true
        }
      ]
    },
    {
      "kind": "set_field",
      "label": "Set a CRM field",
      "params": [
        {
          "name": "entity",
          "type": "choice",
          "required": true,
          "choices": [
            "lead",
            "contact"
          ]
        },
        {
          "name": "field_id",
          "type": "field_id",
          "required": true
        },
        {
          "name": "value",
          "type": "value",
          "required": true
        }
      ]
    },
    {
      "kind": "add_tag",
      "label": "Add a tag to the lead",
      "params": [
        {
          "name": "tags",
          "type": "tags",
          "required": true
        }
      ]
    },
    {
      "kind": "add_note",
      "label": "Add a note to the lead",
      "params": [
        {
          "name": "text",
          "type": "template",
          "required": true
        }
      ]
    },
    {
      "kind": "create_task",
      "label": "Create a task in the CRM",
      "params": [
        {
          "name": "text",
          "type": "template",
          "required": true
        },
        {
          "name": "due_in_minutes",
          "type": "integer",
          "required": true
        },
        {
          "name": "responsible_user_id",
          "type": "kommo_user_id",
          "required": false
        }
      ]
    },
    {
      "kind": "notify",
      "label": "Notify users",
      "params": [
        {
          "name": "title",
          "type": "template",
          "required": true
        },
        {
          "name": "body",
          "type": "template",
          "required": false
        },
        {
          "name": "roles",
          "type": "roles",
          "required": true,
          "choices": [
            "owner",
            "admin",
            "member"
          ]
        }
      ]
    },
    {
      "kind": "pause_agent",
      "label": "Pause the AI",
      "params": [
        {
          "name": "minutes",
          "type": "integer",
          "required": true
        }
      ]
    },
    {
      "kind": "handoff",
      "label": "Hand the conversation to a human",
      "params": [
        {
          "name": "reason",
          "type": "text",
          "required": false
        }
      ]
    },
    {
      "kind": "start_chain",
      "label": "Start a chain",
      "params": [
        {
          "name": "chain_id",
          "type": "chain_id",
          "required": true
        }
      ]
    },
    {
      "kind": "stop_chain",
      "label": "Stop a chain",
      "params": [
        {
          "name": "chain_id",
          "type": "chain_id",
          "required": false
        }
      ]
    },
    {
      "kind": "webhook",
      "label": "Call an outgoing webhook",
      "params": [
        {
          "name": "url",
          "type": "url",
          "required": true
        },
        {
          "name": "secret",
          "type": "secret",
          "required": false
        }
      ]
    }
  ],
  "limit_scopes": [
    "conversation",
    "lead"
  ],
  "limit_periods": [
    "ever",
    "day",
    "week",
    "month"
  ]
};
