from . import welcome_letter
