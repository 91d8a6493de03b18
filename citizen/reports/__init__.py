"""A report from filing to closing: the case, its lifecycle and deadlines, tracking codes, photos, the reporter's pages."""
