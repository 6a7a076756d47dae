"""News posts: the list, write and edit (also from an event: an invitation or a report),
publish (now or at a set time) and withdraw."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..services import DomainError, event_admin, post_drafts, posts, projects
from . import bp
from .access import current_organiser
from .content_forms import PostForm
from .forms import ActionForm, save_or_show
from .lookup import found


@bp.get("/posts")
def post_list():
    return render_template("admin/posts.html", posts=posts.all_posts(), action_form=ActionForm())


def _form(post=None, **kwargs) -> PostForm:
    current = post.project_id if post is not None else None
    linked = [e.id for e in post.events] if post is not None else []
    return PostForm(
        projects=projects.offered_projects(current),
        events=post_drafts.events_to_link(linked),
        **kwargs,
    )


def _render_form(form, post=None, status=200):
    return (
        render_template("admin/post_form.html", form=form, post=post, action_form=ActionForm()),
        status,
    )


@bp.route("/posts/new", methods=["GET", "POST"])
def post_new():
    if request.method == "GET":
        data = _prefill()
        return _render_form(_form(data=data))
    form = _form()
    if not form.validate():
        return _render_form(form, status=422)
    post = save_or_show(
        form,
        lambda: posts.create_post(**form.to_command(), actor=current_organiser()),
        file_field=form.photo,
    )
    if post is None:
        return _render_form(form, status=422)
    flash(_("The post is saved as a draft. Publish it when it is ready."), "success")
    return redirect(url_for("admin.post_edit", post_id=post.id))


def _prefill() -> dict:
    """A new post's form, pre-filled from an event when opened from its page."""
    event_id = request.args.get("event", "")
    kind = request.args.get("kind", "")
    if not event_id:
        return {}
    if not event_id.isdigit() or len(event_id) > 10 or kind not in post_drafts.KINDS:
        abort(404)
    event = found(event_admin.get_event(int(event_id)))
    return _form_data(post_drafts.draft_from_event(event, kind))


def _form_data(details) -> dict:
    data = vars(details)
    data["event_ids"] = [str(i) for i in data["event_ids"]]
    data["project_id"] = str(data["project_id"] or "")
    return data


@bp.route("/posts/<id:post_id>", methods=["GET", "POST"])
def post_edit(post_id: int):
    post = found(posts.get_post(post_id))
    if request.method == "GET":
        data = _form_data(posts.details_of(post))
        return _render_form(_form(post, data=data), post)
    form = _form(post)
    if not form.validate():
        return _render_form(form, post, 422)
    changed = save_or_show(
        form,
        lambda: posts.update_post(
            post.id,
            **form.to_command(),
            remove_photo=form.remove_photo.data,
            actor=current_organiser(),
        ),
        file_field=form.photo,
    )
    if changed is None:
        return _render_form(form, post, 422)
    flash(_("The changes are saved.") if changed else _("Nothing was changed."), "success")
    return redirect(url_for("admin.post_edit", post_id=post.id))


def _action(post_id: int, operation, done):
    found(posts.get_post(post_id))
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        post = operation(post_id, actor=current_organiser())
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(done(post), "success")
    return redirect(url_for("admin.post_edit", post_id=post_id))


def _published_message(post) -> str:
    if post.is_scheduled:
        return _("The post is scheduled: it appears by itself at the set time.")
    return _("The post is published.")


@bp.post("/posts/<id:post_id>/publish")
def post_publish(post_id: int):
    return _action(post_id, posts.publish, _published_message)


@bp.post("/posts/<id:post_id>/unpublish")
def post_unpublish(post_id: int):
    return _action(post_id, posts.unpublish, lambda post: _("The post is withdrawn from the site."))
