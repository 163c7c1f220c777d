"""Department assistants, staff chat (conversations, tools, intent routing) and the prompt library.

from guai.assistants.tools import register_tool, available_tools, get_tool
from guai.assistants.intent import route
from guai.assistants.service import create_assistant, visible_assistants, can_use
from guai.assistants.chat import ChatTurn      # one chat turn as a stream of events (web and API share it)
"""
