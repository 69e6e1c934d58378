from campaigns.views.campaigns import campaign_detail, campaign_list, job_progress
from campaigns.views.exports import export_campaign, export_download, export_index, export_progress
from campaigns.views.moderation import moderation_case, moderation_decide, moderation_queue

__all__ = [
    "campaign_detail",
    "campaign_list",
    "export_campaign",
    "export_download",
    "export_index",
    "export_progress",
    "job_progress",
    "moderation_case",
    "moderation_decide",
    "moderation_queue",
]
